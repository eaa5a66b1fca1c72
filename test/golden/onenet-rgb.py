from mpython import *
from umqtt.simple import MQTTClient
from machine import Timer
import sys

def on_message(topic, msg):
    global mqtt_client
    try:
        print(''.join([str(x) for x in [mqtt_text(topic), " ", mqtt_text(msg)]]))
        if msg == b"on":
            rgb.fill((50, 0, 0))
            rgb.write()
        elif msg == b"off":
            rgb.fill((0, 0, 0))
            rgb.write()
    except Exception as error:
        sys.print_exception(error)

def mqtt_text(data):
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except Exception:
        pass
    out = []
    i = 0
    while i < len(data):
        byte = data[i]
        i += 1
        if byte < 0x80:
            out.append(chr(byte))
            continue
        if 0xc2 <= byte <= 0xdf:
            need, low, high, code = 1, 0x80, 0xbf, byte & 0x1f
        elif 0xe0 <= byte <= 0xef:
            need, low, high, code = 2, 0x80, 0xbf, byte & 0x0f
            if byte == 0xe0:
                low = 0xa0
            if byte == 0xed:
                high = 0x9f
        elif 0xf0 <= byte <= 0xf4:
            need, low, high, code = 3, 0x80, 0xbf, byte & 0x07
            if byte == 0xf0:
                low = 0x90
            if byte == 0xf4:
                high = 0x8f
        else:
            out.append("\ufffd")
            continue
        while need and i < len(data) and low <= data[i] <= high:
            code = (code << 6) | (data[i] & 0x3f)
            low, high = 0x80, 0xbf
            need -= 1
            i += 1
        out.append("\ufffd" if need else chr(code))
    return "".join(out)


wifi().connectWiFi("ssid", "password")
mqtt_client = MQTTClient("deviceID", "183.230.40.39", 6002, "productID", "APIKey", keepalive=10)
mqtt_client.set_callback(on_message)
mqtt_client.connect()
Timer(1).init(period=2000, mode=Timer.PERIODIC, callback=lambda t: mqtt_client.ping())
try:
    while True:
        mqtt_client.wait_msg()
finally:
    mqtt_client.disconnect()
