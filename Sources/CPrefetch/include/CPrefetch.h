// A software prefetch hint, which Swift has no spelling for. Static inline, so the Swift compiler inlines it
// into the kernel loops that call it (one `prefetcht0` instruction).
#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for reading (kept in all cache levels). Only a hint:
/// it never faults, so an address past the end of a buffer is harmless.
static inline void cprefetch_read(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
