// volunteer-api/src/roles.ts — is it ok to keep these in a module-level Map? we run 3 replicas.
// (role templates only change through a migration + deploy)
import { knex } from './db';

export type RoleTemplate = { code: string; title: string; minAge: number; needsBackgroundCheck: boolean };

const templates = new Map<string, RoleTemplate>();

// called once from main.ts before app.listen()
export async function loadRoleTemplates(): Promise<void> {
  const rows = await knex('role_templates').select('code', 'title', 'min_age as minAge', 'needs_background_check as needsBackgroundCheck');
  for (const r of rows) templates.set(r.code, r);
}

export const getRoleTemplate = (code: string) => templates.get(code);
