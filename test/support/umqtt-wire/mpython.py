# `from mpython import *`, as much as the programs here touch: the display and LEDs do nothing,
# sleep_ms lets time pass (timers may fire), light.read() plays the run's readings.
import _wire


class _RGB:
    def __setitem__(self, index, value):
        _wire.count()

    def fill(self, value):
        _wire.count()

    def write(self):
        _wire.count()


class _OLED:
    def DispChar(self, s, x, y, *args, **kwargs):
        _wire.count()

    def fill(self, c):
        _wire.count()

    def fill_rect(self, x, y, w, h, c):
        _wire.count()

    def show(self):
        _wire.count()


class _Button:
    def __init__(self, name):
        self.event_pressed = None
        _wire.buttons[name] = self

    def value(self):
        return 1


class _Light:
    def read(self):
        return _wire.light()


class wifi:
    def connectWiFi(self, ssid, passwd, timeout=10):
        _wire.count()


def sleep_ms(ms):
    _wire.sleep(ms)


rgb = _RGB()
oled = _OLED()
button_a = _Button("a")
button_b = _Button("b")
light = _Light()
