#include "CMalloc.h"
// <stdlib.h> first: glibc defines __GLIBC__ in <features.h>, which any libc header pulls in; testing the macro
// before including one would always take the non-glibc branch.
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>

int cmalloc_limit_arenas(int count) { return mallopt(M_ARENA_MAX, count); }
int cmalloc_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
#else
// Other C libraries have no mallopt: the tuning is skipped and the callers carry on.
int cmalloc_limit_arenas(int count) { (void)count; return 0; }
int cmalloc_set_mmap_threshold(int bytes) { (void)bytes; return 0; }
#endif
