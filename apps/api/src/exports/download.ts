import type { Response } from 'express';

/**
 * Runs a streamed download. A failure before the first byte goes to the usual error filter (a
 * clear 4xx, or the recorded 5xx); once the file has started, the only honest signal left is a
 * broken download, so the connection is destroyed instead of a half-file looking complete.
 */
export async function streamDownload(res: Response, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
    else throw error;
  }
}
