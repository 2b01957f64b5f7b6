// glibc's malloc tuning (mallopt), which Swift's Glibc module does not export.
#ifndef CMALLOC_H
#define CMALLOC_H

/// Caps the number of glibc malloc arenas (mallopt M_ARENA_MAX); returns 1 on success, 0 otherwise
/// (including on C libraries other than glibc).
int cmalloc_limit_arenas(int count);

#endif
