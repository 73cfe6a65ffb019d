import { teamAppManifests } from './_apps';
import { itemPath, misskeyHost, onePasswordItemUse, requiresMisskey } from './_shared';
import type { ComponentSpec } from './types';

/**
 * daypassed-bot: a daily CronJob that posts to Misskey how many days have passed
 * since a fixed date.
 *
 * - Needs `misskey.host` (listed in `requires`) and posts with a token that the
 *   chart reads from a OnePasswordItem it renders itself, so it depends on
 *   `1password-connect` (the operator that turns the item into a Secret).
 * - This chart spells the block `onepassword` (lower-case p), unlike the other
 *   team charts; item `daypassed-bot`, field `MK_TOKEN`.
 * - `schedule` is `0 15 * * *` as upstream. Chart 0.1.0 sets no CronJob
 *   `timeZone`, so it fires at 15:00 in kube-controller-manager's zone (UTC on
 *   ordinary clusters), i.e. midnight in Asia/Tokyo. `env.timezone` only sets
 *   the container's `TZ`, which the bot uses to count days.
 * - `specificDate` and `customText` are the app's own configuration (the date
 *   and text of the PKE deployment's bot, from the upstream values), not
 *   environment settings and not secrets.
 */
export const daypassedBot = {
  id: 'daypassed-bot',
  description: 'Daily CronJob that posts to Misskey how many days have passed since a fixed date.',
  repoUrl: 'https://soli0222.github.io/helm-charts',
  chart: 'daypassed-bot',
  version: '0.1.0',
  namespace: 'daypassed-bot',
  releaseName: 'daypassed-bot',
  layer: 9,
  enabledByDefault: false,
  dependsOn: ['1password-connect'],
  requires: [requiresMisskey('daypassed-bot')],
  chartOnePasswordItems: (env) => [
    onePasswordItemUse(env, 'daypassed-bot-1password', { item: 'daypassed-bot', keys: ['MK_TOKEN'], usedBy: "the bot's Misskey token" }),
  ],
  values: (env) => ({
    schedule: '0 15 * * *',
    env: {
      specificDate: '2023-04-07',
      misskeyHost: misskeyHost(env),
      tz: env.timezone,
      customText: '今日は:polestar2023:が起動してから',
    },
    onepassword: {
      enabled: true,
      itemPath: itemPath(env, 'daypassed-bot'),
      itemResourceNameOverride: 'daypassed-bot-1password',
      tokenFieldInItem: 'MK_TOKEN',
    },
  }),
  manifests: (env, inventory) => teamAppManifests(env, inventory, 'daypassed-bot'),
} satisfies ComponentSpec;
