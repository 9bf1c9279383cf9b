import { existsSync } from 'node:fs';
import { readArtifact } from '../project/artifacts.js';
import { DEFAULT_RULES, type Rules, RulesSchema } from '../schemas/rules.js';

/**
 * Rules from a rules.json (validated; errors name the file and the field). An explicitly given file must
 * exist; a default location that does not exist means the default rules.
 */
export async function loadRules(
  file: string | undefined,
  explicit = false,
): Promise<{ rules: Rules; file?: string }> {
  if (!file || (!explicit && !existsSync(file))) return { rules: DEFAULT_RULES };
  return { rules: await readArtifact(file, RulesSchema), file };
}
