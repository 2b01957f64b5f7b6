#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS's CBLAS entry points, loaded with `dlopen` the first time one is called instead of linked into the
/// binary: the `mixbit serve` process that only tracks experiments then never maps OpenBLAS, libgfortran and their
/// thread pool (about 2 MiB of resident memory, measured with /proc/PID/smaps).
///
/// The enumerations are the CBLAS standard's values (the same in every cblas.h); `blasint` is 32 bits, as in
/// Debian's libopenblas0 (the LP64, not the ILP64, build).
enum OpenBLAS {
    typealias Order = Int32
    typealias Transpose = Int32
    typealias UpperLower = Int32
    typealias Diagonal = Int32
    typealias Side = Int32

    static let rowMajor: Order = 101
    static let noTrans: Transpose = 111
    static let trans: Transpose = 112
    static let upper: UpperLower = 121
    static let lower: UpperLower = 122
    static let nonUnit: Diagonal = 131
    static let left: Side = 141
    static let right: Side = 142

    /// The shared library's name: Debian's libopenblas0 package (a dependency of libopenblas-dev).
    static let libraryName = "libopenblas.so.0"

    /// The loaded entry points; a missing library or symbol stops the process with the reason, since the models
    /// and the calibrated quantizers cannot run without it and `make deps` installs it.
    private static let entry: EntryPoints = {
        switch EntryPoints.load() {
        case .success(let entry): return entry
        case .failure(let reason): fatalError("OpenBLAS: \(reason) (install libopenblas0, or run `make deps`)")
        }
    }()

    static func sgemm(_ order: Order, _ transA: Transpose, _ transB: Transpose, _ m: Int32, _ n: Int32, _ k: Int32,
                      _ alpha: Float, _ a: UnsafePointer<Float>?, _ lda: Int32, _ b: UnsafePointer<Float>?, _ ldb: Int32,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>?, _ ldc: Int32) {
        entry.sgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    static func dgemm(_ order: Order, _ transA: Transpose, _ transB: Transpose, _ m: Int32, _ n: Int32, _ k: Int32,
                      _ alpha: Double, _ a: UnsafePointer<Double>?, _ lda: Int32, _ b: UnsafePointer<Double>?, _ ldb: Int32,
                      _ beta: Double, _ c: UnsafeMutablePointer<Double>?, _ ldc: Int32) {
        entry.dgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    static func ssyrk(_ order: Order, _ uplo: UpperLower, _ trans: Transpose, _ n: Int32, _ k: Int32, _ alpha: Float,
                      _ a: UnsafePointer<Float>?, _ lda: Int32, _ beta: Float, _ c: UnsafeMutablePointer<Float>?, _ ldc: Int32) {
        entry.ssyrk(order, uplo, trans, n, k, alpha, a, lda, beta, c, ldc)
    }

    static func dsyrk(_ order: Order, _ uplo: UpperLower, _ trans: Transpose, _ n: Int32, _ k: Int32, _ alpha: Double,
                      _ a: UnsafePointer<Double>?, _ lda: Int32, _ beta: Double, _ c: UnsafeMutablePointer<Double>?, _ ldc: Int32) {
        entry.dsyrk(order, uplo, trans, n, k, alpha, a, lda, beta, c, ldc)
    }

    static func dtrsm(_ order: Order, _ side: Side, _ uplo: UpperLower, _ transA: Transpose, _ diag: Diagonal,
                      _ m: Int32, _ n: Int32, _ alpha: Double, _ a: UnsafePointer<Double>?, _ lda: Int32,
                      _ b: UnsafeMutablePointer<Double>?, _ ldb: Int32) {
        entry.dtrsm(order, side, uplo, transA, diag, m, n, alpha, a, lda, b, ldb)
    }

    static func dger(_ order: Order, _ m: Int32, _ n: Int32, _ alpha: Double, _ x: UnsafePointer<Double>?, _ incX: Int32,
                     _ y: UnsafePointer<Double>?, _ incY: Int32, _ a: UnsafeMutablePointer<Double>?, _ lda: Int32) {
        entry.dger(order, m, n, alpha, x, incX, y, incY, a, lda)
    }

    static func sasum(_ n: Int32, _ x: UnsafePointer<Float>?, _ incX: Int32) -> Float { entry.sasum(n, x, incX) }

    static func isamax(_ n: Int32, _ x: UnsafePointer<Float>?, _ incX: Int32) -> Int { entry.isamax(n, x, incX) }

    // The C function types, as cblas.h declares them.
    typealias SGEMM = @convention(c) (Order, Transpose, Transpose, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
                                      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias DGEMM = @convention(c) (Order, Transpose, Transpose, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
                                      UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32) -> Void
    typealias SSYRK = @convention(c) (Order, UpperLower, Transpose, Int32, Int32, Float, UnsafePointer<Float>?, Int32, Float,
                                      UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias DSYRK = @convention(c) (Order, UpperLower, Transpose, Int32, Int32, Double, UnsafePointer<Double>?, Int32, Double,
                                      UnsafeMutablePointer<Double>?, Int32) -> Void
    typealias DTRSM = @convention(c) (Order, Side, UpperLower, Transpose, Diagonal, Int32, Int32, Double, UnsafePointer<Double>?,
                                      Int32, UnsafeMutablePointer<Double>?, Int32) -> Void
    typealias DGER = @convention(c) (Order, Int32, Int32, Double, UnsafePointer<Double>?, Int32, UnsafePointer<Double>?, Int32,
                                     UnsafeMutablePointer<Double>?, Int32) -> Void
    typealias SASUM = @convention(c) (Int32, UnsafePointer<Float>?, Int32) -> Float
    /// CBLAS_INDEX is size_t.
    typealias ISAMAX = @convention(c) (Int32, UnsafePointer<Float>?, Int32) -> Int

    /// The function pointers.
    private struct EntryPoints: @unchecked Sendable {
        let sgemm: SGEMM
        let dgemm: DGEMM
        let ssyrk: SSYRK
        let dsyrk: DSYRK
        let dtrsm: DTRSM
        let dger: DGER
        let sasum: SASUM
        let isamax: ISAMAX

        static func load() -> Result<EntryPoints, LoadFailure> {
            #if canImport(Glibc)
            guard let library = dlopen(OpenBLAS.libraryName, RTLD_NOW | RTLD_LOCAL) else {
                return .failure(LoadFailure(reason: String(cString: dlerror())))
            }
            func symbol<T>(_ name: String, as type: T.Type) throws(LoadFailure) -> T {
                guard let address = dlsym(library, name) else {
                    throw LoadFailure(reason: "\(OpenBLAS.libraryName) has no \(name)")
                }
                return unsafeBitCast(address, to: type)
            }
            do {
                return .success(EntryPoints(
                    sgemm: try symbol("cblas_sgemm", as: SGEMM.self),
                    dgemm: try symbol("cblas_dgemm", as: DGEMM.self),
                    ssyrk: try symbol("cblas_ssyrk", as: SSYRK.self),
                    dsyrk: try symbol("cblas_dsyrk", as: DSYRK.self),
                    dtrsm: try symbol("cblas_dtrsm", as: DTRSM.self),
                    dger: try symbol("cblas_dger", as: DGER.self),
                    sasum: try symbol("cblas_sasum", as: SASUM.self),
                    isamax: try symbol("cblas_isamax", as: ISAMAX.self)))
            } catch {
                return .failure(error)
            }
            #else
            return .failure(LoadFailure(reason: "dlopen is only wired up for Linux"))
            #endif
        }
    }

    struct LoadFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}
