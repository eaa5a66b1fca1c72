# The wire under test: what the board writes to the broker, what the broker answers, and the
# board's scheduler. The other stand-ins (usocket, machine, mpython) report to it.
#
# The ESP32 runs a machine.Timer callback through MicroPython's scheduler: the timer's interrupt
# queues it, and it runs at the next point where pending callbacks are handled. A socket write
# is one such point (the ESP32 port's send loop handles them after sending), and so are a
# blocking read and sleep_ms. While a scheduled callback runs, the scheduler is locked: nothing
# else scheduled runs inside it. `wrote`, `read` and `sleep` below play exactly that, at the
# moments the run's config chooses, so a run is the same every time.
import binascii
import io
import json
import sys


class ScriptEnd(BaseException):
    # The broker's script is spent. A BaseException, so the program's `finally` runs (and
    # disconnects) but a child's `except Exception` cannot swallow it.
    pass


class WireTimeout(BaseException):
    # More stand-in calls than the run's budget: a program looping without end.
    pass


config = {"force": [], "max_calls": 0, "user_if": "truthy"}
writes = []
published = []
fires = []
callback_errors = []
operations = []
inbound = []
received = bytearray()
readings = []
timers = []
buttons = {}
pending = []
state = {"locked": False, "calls": 0, "error": None}


def _hex(data):
    return binascii.hexlify(data).decode()


def start(config_json):
    given = json.loads(config_json)
    config["force"] = given["force"]
    config["max_calls"] = given["maxCalls"]
    config["user_if"] = given["userIf"]
    for item in given["inbound"]:
        if item[0] == "packet":
            inbound.append(("packet", binascii.unhexlify(item[1])))
        else:
            inbound.append(tuple(item))
    readings.extend(given["light"])
    return binascii.unhexlify(given["source"]).decode()


def count():
    state["calls"] += 1
    if state["calls"] > config["max_calls"]:
        raise WireTimeout("more than %d stand-in calls" % config["max_calls"])


def begin(operation):
    operations.append(operation)


def end():
    operations.pop()


def doing():
    return operations[-1] if operations else "program"


def wrote(data):
    count()
    operation = doing()
    writes.append([operation, _hex(data)])
    if operation in config["force"]:
        fire_timers(operation)


def fire_timers(during):
    # Time has come for every running timer: each one's callback is queued, then run unless a
    # scheduled callback is already running (then this moment passes without them).
    if state["locked"] or not timers:
        return
    fires.append(during)
    for timer in list(timers):
        pending.append(timer._expired)
    run_pending()


def schedule(callback):
    pending.append(callback)
    run_pending()


def run_pending():
    if state["locked"]:
        return
    state["locked"] = True
    try:
        while pending:
            callback = pending.pop(0)
            try:
                callback()
            except Exception as error:
                # The board prints the exception and carries on; so does this wire.
                sys.print_exception(error)
                callback_errors.append(_hex(repr(error).encode()))
    finally:
        state["locked"] = False


def read(n):
    count()
    while len(received) < n:
        if not inbound:
            raise ScriptEnd()
        item = inbound.pop(0)
        if item[0] == "packet":
            received.extend(item[1])
        elif item[0] == "tick":
            fire_timers("wait")
        elif item[0] == "press":
            button = buttons.get(item[1])
            if button is not None and button.event_pressed is not None:
                schedule(lambda: button.event_pressed(button))
    data = bytes(received[:n])
    received[:] = received[n:]
    return data


def sleep(ms):
    count()
    fire_timers("sleep")


def light():
    count()
    if not readings:
        raise ScriptEnd()
    return readings.pop(0)


def fail(error):
    out = io.StringIO()
    sys.print_exception(error, out)
    state["error"] = _hex(out.getvalue().encode())


def result():
    return json.dumps(
        {
            "writes": writes,
            "published": published,
            "fires": fires,
            "callbackErrors": callback_errors,
            "error": state["error"],
        }
    )
