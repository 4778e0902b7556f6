// Plain POSIX file access for prompts and recordings.
//
// Media workers must never block on Foundation's file machinery or allocate per frame, so
// the loader reads a whole (bounded) file once with read(2), and the recorder appends with
// write(2) and patches its header with pwrite(2). EINTR is retried; short writes continue.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over open/read/write/pwrite/close that throw `WAVError.io`.
enum AudioFileIO {
    /// Reads a whole regular file of at most `maxBytes` bytes.
    static func readFile(path: String, maxBytes: Int) throws(WAVError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { _ = close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile(path: path) }
        let size = Int(info.st_size)
        guard size <= maxBytes else { throw .fileTooLarge(bytes: size, limit: maxBytes) }
        var failure: Int32 = 0
        // Read at most the size stat reported: a file growing meanwhile cannot exceed the limit.
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            while initialized < size {
                let n = read(fd, base + initialized, size - initialized)
                if n > 0 {
                    initialized += n
                } else if n == 0 {
                    break  // the file shrank; keep what we have
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        guard failure == 0 else { throw .io(operation: "read", path: path, errno: failure) }
        return bytes
    }

    /// Creates or truncates `path` for writing and returns the descriptor.
    static func createFile(path: String, permissions: Int) throws(WAVError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(truncatingIfNeeded: permissions))
        guard fd >= 0 else { throw .io(operation: "create", path: path, errno: errno) }
        return fd
    }

    /// Writes all `count` bytes, at the current file offset or (with `offset`) at that
    /// absolute position without moving the file offset; retries on EINTR.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, count: Int, at offset: Int? = nil,
                         path: String) throws(WAVError) {
        var done = 0
        while done < count {
            let n = offset.map { pwrite(fd, bytes + done, count - done, off_t($0 + done)) } ?? write(fd, bytes + done, count - done)
            if n > 0 {
                done += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                throw .io(operation: "write", path: path, errno: n < 0 ? errno : EIO)
            }
        }
    }

    /// Closes `fd`, reporting a failure (close can surface delayed write errors, e.g. NFS).
    static func closeFile(_ fd: Int32, path: String) throws(WAVError) {
        guard close(fd) == 0 else { throw .io(operation: "close", path: path, errno: errno) }
    }
}
