# The board's socket to the broker: every write goes to the recording wire (_wire), every read
# comes from the broker's script there. A str is written as its UTF-8 bytes, as MicroPython's
# stream write does with any object that has the buffer protocol.
import _wire

AF_INET = 2
SOCK_STREAM = 1


def getaddrinfo(host, port, af=0, type=0, proto=0, flags=0):
    return [(AF_INET, SOCK_STREAM, 0, "", (host, port))]


class socket:
    def __init__(self, af=AF_INET, type=SOCK_STREAM, proto=0):
        self._open = True

    def connect(self, address):
        pass

    def setblocking(self, flag):
        pass

    def settimeout(self, value):
        pass

    def write(self, buf, max_len=None):
        if not self._open:
            raise OSError(9)
        data = buf.encode() if isinstance(buf, str) else bytes(buf)
        if max_len is not None:
            data = data[:max_len]
        _wire.wrote(data)
        return len(data)

    def read(self, n):
        if not self._open:
            raise OSError(9)
        return _wire.read(n)

    def close(self):
        self._open = False
