import type { Logger } from 'pino';

/**
 * Graceful shutdown on SIGTERM/SIGINT for a process: runs `close` once, exits 0 when it finishes
 * and 1 when it fails or takes longer than `timeoutMs`.
 */
export function onShutdownSignal(logger: Pick<Logger, 'info' | 'error'>, options: { name: string; timeoutMs: number; close: () => Promise<void> }) {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, `${options.name} shutting down`);
    const force = setTimeout(() => {
      logger.error(`${options.name} shutdown timed out; exiting`);
      process.exit(1);
    }, options.timeoutMs);
    force.unref();
    try {
      await options.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: { message: (error as Error).message } }, `error during ${options.name} shutdown`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
