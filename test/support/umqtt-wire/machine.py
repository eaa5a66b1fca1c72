# machine.Timer: a running timer's callback is queued on the wire's scheduler whenever the run
# lets time pass (see _wire.fire_timers).
import _wire


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, **kwargs):
        self._mode = Timer.PERIODIC
        self._callback = None
        if kwargs:
            self.init(**kwargs)

    def init(self, mode=1, period=-1, callback=None, freq=-1):
        self._mode = mode
        self._callback = callback
        if self not in _wire.timers:
            _wire.timers.append(self)

    def deinit(self):
        if self in _wire.timers:
            _wire.timers.remove(self)

    def _expired(self):
        if self._mode == Timer.ONE_SHOT:
            self.deinit()
        if self._callback is not None:
            self._callback(self)
