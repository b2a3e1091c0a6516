namespace Weft.Wasi;

// sock_*: preview1 has no way to create sockets and Weft preopens none, so every descriptor is not a socket.
internal sealed partial class WasiPreview1
{
    private Errno SockAccept(Caller c, int fd, int flags, int result) => NotASocket(fd);

    private Errno SockRecv(Caller c, int fd, int iovs, int count, int flags, int size, int resultFlags) => NotASocket(fd);

    private Errno SockSend(Caller c, int fd, int iovs, int count, int flags, int size) => NotASocket(fd);

    private Errno SockShutdown(Caller c, int fd, int how) => NotASocket(fd);

    private Errno NotASocket(int fd)
    {
        _descriptors.Get(fd); // EBADF first
        return Errno.NotSock;
    }
}
