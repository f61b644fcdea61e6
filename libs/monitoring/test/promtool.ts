// Runs the real promtool (Debian package `prometheus`) on rule files written to a temporary folder.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export async function promtool(args: string[], files: Record<string, unknown>): Promise<{ code: number; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'promtool-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), stringify(content));
  return new Promise((resolve) => {
    execFile('promtool', args, { cwd: dir }, (error, stdout, stderr) => {
      if (error && (error as { code?: unknown }).code === 'ENOENT') throw new Error('promtool is not installed: apt-get install prometheus');
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}
