/**
 * `npm start`: builds the studio if a source changed, then serves it with its broker. Settings
 * come from the environment: PORT (8080), MQTT_PORT (1883), HOST (all interfaces); 0 = any port;
 * CLASS_PASSWORD (none): the password the studio's pages ask for once per browser; REDIS_URL
 * (none): a Redis that studio processes share one MQTT space through (school.ts).
 */
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build.ts';
import { parseMessageLimit } from './broker.ts';
import { redisUrlProblem } from './school.ts';
import { startStudio, type Studio } from './studio-server.ts';

/** The project folder (this file is src/server/main.ts). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A port from the environment, or a sentence saying why it is not one. */
export function parsePort(
  name: string,
  value: string | undefined,
  fallback: number,
): number | string {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    return `${name} must be a port number from 0 to 65535 (0 = any free port), not "${value}"`;
  }
  return port;
}

/**
 * Resolves on the first SIGINT or SIGTERM once `running()` is true; before that (during the
 * build, which cannot be cancelled) the process simply ends.
 */
function stopSignal(running: () => boolean): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (!running()) process.exit(0);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/**
 * Runs the studio in `root` (this project by default) until SIGINT/SIGTERM; resolves to the exit
 * code (1 if it could not start).
 */
export async function main(env: NodeJS.ProcessEnv = process.env, root = ROOT): Promise<number> {
  const port = parsePort('PORT', env.PORT, 8080);
  const mqttPort = parsePort('MQTT_PORT', env.MQTT_PORT, 1883);
  // MAX_MESSAGE_KB (256): the broker's message size limit, which createBroker reads itself.
  const limit = parseMessageLimit(env.MAX_MESSAGE_KB);
  for (const problem of [port, mqttPort, limit, redisUrlProblem(env.REDIS_URL)]) {
    if (typeof problem === 'string') {
      console.error(`iot-blocks: ${problem}`);
      return 2;
    }
  }
  let studio: Studio | undefined;
  // Listening for signals from the start: Ctrl-C during the build must also end the process.
  const stopped = stopSignal(() => studio !== undefined);
  try {
    await buildIfStale(root);
    studio = await startStudio({
      port: port as number,
      mqttPort: mqttPort as number,
      host: env.HOST || undefined,
      root,
      classPassword: env.CLASS_PASSWORD || undefined,
      redisUrl: env.REDIS_URL?.trim() || undefined,
    });
  } catch (error) {
    console.error(`iot-blocks: cannot start: ${error instanceof Error ? error.message : error}`);
    return 1;
  }
  await stopped;
  console.log('Stopping the studio…');
  await studio.close();
  return 0;
}
