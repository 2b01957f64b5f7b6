#include "CMalloc.h"
// <stdlib.h> first: glibc defines __GLIBC__ in <features.h>, which any libc header pulls in; testing the macro
// before including one would always take the non-glibc branch.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int cmalloc_limit_arenas(int count) {
#if defined(__GLIBC__)
    return mallopt(M_ARENA_MAX, count);
#else
    (void)count;
    return 0;
#endif
}

int cmalloc_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
