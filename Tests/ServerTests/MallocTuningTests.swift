import CMalloc
import Testing

/// `mixbit serve` caps glibc's malloc arenas to keep its resident memory small (ServeCommand.run).
@Suite struct MallocTuningTests {
    #if canImport(Glibc)
    /// The shim must reach mallopt on glibc. It once tested `__GLIBC__` before including any libc header, so it
    /// silently did nothing and the server ran with 8 arenas per core.
    @Test func arenaCapReachesGlibc() {
        // mallopt answers 1 when it applied the setting; nothing in the test process depends on the arena count.
        #expect(cmalloc_limit_arenas(16) == 1)
    }

    @Test func mmapThresholdReachesGlibc() {
        #expect(cmalloc_set_mmap_threshold(128 * 1024) == 1)
    }
    #endif
}
