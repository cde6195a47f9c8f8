#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The text files the commands read and write (tapes, screenshots, `--events`, `--record`), with POSIX
/// calls, so a failure reads as one short line ("Permission denied") and the terminal program needs no
/// more of Foundation than FoundationEssentials.
public enum TextFile {
    /// Why a file could not be read or written: the system's message for errno.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String

        init(errno code: Int32) {
            description = String(cString: strerror(code))
        }
    }

    /// The file's bytes as UTF-8 (invalid sequences become U+FFFD).
    public static func read(_ path: String) throws(Failure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to `path`. `atomic`: through a new temporary file beside it (random name, created
    /// exclusively, never through a symlink) renamed over the target, so a reader never sees half a file
    /// (not for devices such as /dev/stdout). `createFolder`: makes missing folders first.
    public static func write(_ text: String, to path: String, atomic: Bool = false, createFolder: Bool = false) throws(Failure) {
        if createFolder, let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeFolders(String(path[..<slash]))
        }
        var target = path
        var fd: Int32
        if atomic {
            repeat {
                target = "\(path).\(String(UInt32.random(in: 0...UInt32.max), radix: 36)).tmp"
                fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            } while fd < 0 && errno == EEXIST
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw Failure(errno: errno) }
        var failure = writeAll(text, to: fd)
        if close(fd) != 0, errno != EINTR, failure == nil { failure = errno }
        if atomic, failure == nil, rename(target, path) != 0 { failure = errno }
        if let failure {
            if atomic { unlink(target) }
            throw Failure(errno: failure)
        }
    }

    /// `mkdir -p`.
    static func makeFolders(_ folder: String) throws(Failure) {
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for part in folder.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw Failure(errno: errno) }
            prefix += "/"
        }
    }

    /// Writes one line to standard error, unbuffered.
    public static func printError(_ line: String) {
        _ = writeAll(line + "\n", to: 2)
    }

    /// Writes every byte, through partial writes and EINTR; errno on failure.
    static func writeAll(_ text: String, to fd: Int32) -> Int32? {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            bytes = bytes.dropFirst(count)
        }
        return nil
    }
}

// At file scope `read` and `write` are the system's, not TextFile's own.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
