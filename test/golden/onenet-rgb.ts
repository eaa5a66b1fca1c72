import { mqtt, print, rgb, wifi } from "@iot-blocks/runtime";

mqtt.onMessage(async (message) => {
  print(message.topic + " " + message.text);
  if (message.is("on")) {
    rgb.fill(50, 0, 0);
  } else if (message.is("off")) {
    rgb.fill(0, 0, 0);
  }
});

await wifi.connect("ssid", "password");
await mqtt.connect({
  server: "183.230.40.39",
  port: 6002,
  clientId: "deviceID",
  username: "productID",
  password: "APIKey",
  keepalive: 10,
});
mqtt.keepAlive(2000);
try {
  await mqtt.listenForever();
} finally {
  await mqtt.disconnect();
}
