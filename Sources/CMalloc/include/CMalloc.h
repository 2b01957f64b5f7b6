// glibc's malloc tuning (mallopt), which Swift's Glibc module does not export.
#ifndef CMALLOC_H
#define CMALLOC_H

/// Caps the number of glibc malloc arenas (mallopt M_ARENA_MAX); returns 1 on success, 0 otherwise
/// (including on C libraries other than glibc).
int cmalloc_limit_arenas(int count);

/// Fixes glibc's mmap threshold (mallopt M_MMAP_THRESHOLD) at `bytes`: blocks that large are mapped on their own
/// and unmapped when freed. Setting it also turns off glibc's sliding threshold, which after the first large
/// free serves later large blocks from the arenas, where freed memory stays resident. Returns 1 on success.
int cmalloc_set_mmap_threshold(int bytes);

#endif
