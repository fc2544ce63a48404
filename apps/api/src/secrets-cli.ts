// `npm run secrets`: prints fresh production secrets in environment-file form, for
// /etc/kalei/kalei.env (deploy/README.md). Nothing is written anywhere; keep the output secret.
import { freshSecretsEnv } from './infra/secrets.js';

for (const [name, value] of Object.entries(await freshSecretsEnv())) {
  // Single quotes keep the JSON intact for systemd's EnvironmentFile and for POSIX shells.
  process.stdout.write(`${name}='${value}'\n`);
}
