#include "CMalloc.h"
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
