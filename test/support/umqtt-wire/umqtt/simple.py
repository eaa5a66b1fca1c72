# umqtt.simple as the board runs it, written for these tests: the same bytes, in the same
# separate sock.write calls, as micropython-lib's micropython/umqtt.simple/umqtt/simple.py (and
# the copy the mPython firmware freezes, labplus-cn/mpython port/modules/umqtt/simple.py) for
# CONNECT, PUBLISH, SUBSCRIBE, PINGREQ and DISCONNECT, with every length as `len()` counts it:
# characters for a str, whose UTF-8 bytes the socket then sends.
#
# The one difference between those two: micropython-lib sends a username and password when
# `user` is truthy, the mPython firmware when it is not None (so "" goes out as an empty
# username). _wire.config["user_if"] picks one. Each operation tells the wire what it is
# writing (_wire.begin / _wire.end), which is all that is added.
import usocket as socket
import ustruct as struct
import _wire


class MQTTException(Exception):
    pass


def _remaining_length(buf, size):
    # MQTT's variable-length integer, written into buf from index 1; returns the index of its
    # last byte.
    i = 1
    while size > 0x7F:
        buf[i] = (size & 0x7F) | 0x80
        size >>= 7
        i += 1
    buf[i] = size
    return i


class MQTTClient:
    def __init__(self, client_id, server, port=0, user=None, password=None, keepalive=0,
                 ssl=False, ssl_params={}):
        self.client_id = client_id
        self.server = server
        self.port = port or (8883 if ssl else 1883)
        self.sock = None
        self.pid = 0
        self.cb = None
        self.user = user
        self.pswd = password
        self.keepalive = keepalive
        self.lw_topic = None
        self.lw_msg = None
        self.lw_qos = 0
        self.lw_retain = False

    def _has_user(self):
        if _wire.config["user_if"] == "not-none":
            return self.user is not None
        return bool(self.user)

    def _send_str(self, s):
        # Two writes: the length as len() counts it, then the str or bytes itself.
        self.sock.write(struct.pack("!H", len(s)))
        self.sock.write(s)

    def _recv_len(self):
        n = 0
        shift = 0
        while True:
            b = self.sock.read(1)[0]
            n |= (b & 0x7F) << shift
            if not b & 0x80:
                return n
            shift += 7

    def set_callback(self, f):
        self.cb = f

    def set_last_will(self, topic, msg, retain=False, qos=0):
        self.lw_topic = topic
        self.lw_msg = msg
        self.lw_qos = qos
        self.lw_retain = retain

    def connect(self, clean_session=True):
        self.sock = socket.socket()
        self.sock.connect(socket.getaddrinfo(self.server, self.port)[0][-1])
        header = bytearray(b"\x10\0\0\0\0\0")
        variable = bytearray(b"\x04MQTT\x04\x02\0\0")
        size = 10 + 2 + len(self.client_id)
        variable[6] = clean_session << 1
        if self._has_user():
            size += 2 + len(self.user) + 2 + len(self.pswd)
            variable[6] |= 0xC0
        if self.keepalive:
            variable[7] |= self.keepalive >> 8
            variable[8] |= self.keepalive & 0xFF
        if self.lw_topic:
            size += 2 + len(self.lw_topic) + 2 + len(self.lw_msg)
            variable[6] |= 0x4 | (self.lw_qos & 0x1) << 3 | (self.lw_qos & 0x2) << 3
            variable[6] |= self.lw_retain << 5
        last = _remaining_length(header, size)
        _wire.begin("connect")
        try:
            # One byte past the length: the 0 that starts the protocol name's length ("\x04MQTT").
            self.sock.write(header, last + 2)
            self.sock.write(variable)
            self._send_str(self.client_id)
            if self.lw_topic:
                self._send_str(self.lw_topic)
                self._send_str(self.lw_msg)
            if self._has_user():
                self._send_str(self.user)
                self._send_str(self.pswd)
        finally:
            _wire.end()
        resp = self.sock.read(4)
        assert resp[0] == 0x20 and resp[1] == 0x02
        if resp[3] != 0:
            raise MQTTException(resp[3])
        return resp[2] & 1

    def disconnect(self):
        _wire.begin("disconnect")
        try:
            self.sock.write(b"\xe0\0")
        finally:
            _wire.end()
        self.sock.close()

    def ping(self):
        _wire.begin("ping")
        try:
            self.sock.write(b"\xc0\0")
        finally:
            _wire.end()

    def publish(self, topic, msg, retain=False, qos=0):
        # Only QoS 0 is generated for the board; QoS 1's packet id and PUBACK wait are left out.
        assert qos == 0
        _wire.published.append([_wire._hex(_utf8(topic)), _wire._hex(_utf8(msg))])
        header = bytearray(b"\x30\0\0\0")
        header[0] |= qos << 1 | retain
        size = 2 + len(topic) + len(msg)
        last = _remaining_length(header, size)
        _wire.begin("publish")
        try:
            self.sock.write(header, last + 1)
            self._send_str(topic)
            self.sock.write(msg)
        finally:
            _wire.end()

    def subscribe(self, topic, qos=0):
        assert self.cb is not None, "Subscribe callback is not set"
        header = bytearray(b"\x82\0\0\0")
        self.pid += 1
        struct.pack_into("!BH", header, 1, 2 + 2 + len(topic) + 1, self.pid)
        _wire.begin("subscribe")
        try:
            self.sock.write(header)
            self._send_str(topic)
            self.sock.write(qos.to_bytes(1, "little"))
        finally:
            _wire.end()
        while True:
            op = self.wait_msg()
            if op == 0x90:
                resp = self.sock.read(4)
                assert resp[1] == header[2] and resp[2] == header[3]
                if resp[3] == 0x80:
                    raise MQTTException(resp[3])
                return

    def wait_msg(self):
        res = self.sock.read(1)
        if res == b"":
            raise OSError(-1)
        if res == b"\xd0":
            assert self.sock.read(1)[0] == 0
            return None
        op = res[0]
        if op & 0xF0 != 0x30:
            return op
        size = self._recv_len()
        topic_len = self.sock.read(2)
        topic_len = (topic_len[0] << 8) | topic_len[1]
        topic = self.sock.read(topic_len)
        size -= topic_len + 2
        msg = self.sock.read(size)
        self.cb(topic, msg)
        return op

    def check_msg(self):
        return self.wait_msg()


def _utf8(value):
    return value.encode() if isinstance(value, str) else bytes(value)
