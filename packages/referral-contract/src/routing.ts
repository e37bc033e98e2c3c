import * as z from 'zod/mini';
import { AdminAreaCodeSchema, IdSchema, TimestampSchema } from './primitives.js';

/** One routing rule: reports from this admin area (and the areas inside it) go to this intake organisation. */
export const RoutingRuleSchema = /* @__PURE__ */ z.strictObject({
  admin_area: AdminAreaCodeSchema,
  organization_id: IdSchema,
});
/** One routing rule. */
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

/** The body of `PUT /v1/routing` (admin): the whole routing table with its national default. */
export const RoutingTableUpdateSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    default_organization_id: IdSchema,
    rules: z.array(RoutingRuleSchema).check(
      z.maxLength(5_000),
      z.superRefine((rules, ctx) => {
        const seen = new Set<string>();
        rules.forEach((rule, index) => {
          if (seen.has(rule.admin_area)) {
            ctx.addIssue({ code: 'custom', message: 'admin_area listed twice', path: [index, 'admin_area'], input: rule });
          }
          seen.add(rule.admin_area);
        });
      }),
    ),
  }))();
/** The body of `PUT /v1/routing`. */
export type RoutingTableUpdate = z.infer<typeof RoutingTableUpdateSchema>;

/** The routing table. */
export const RoutingTableSchema = /* @__PURE__ */ (() =>
  z.object({
    default_organization_id: IdSchema,
    rules: z.array(z.object({ admin_area: AdminAreaCodeSchema, organization_id: IdSchema })),
    updated_at: TimestampSchema,
  }))();
/** The routing table. */
export type RoutingTable = z.infer<typeof RoutingTableSchema>;

/**
 * The intake organisation a report from `adminArea` goes to: the rule for the most precise
 * enclosing area (`PK-PB-LHR`, then `PK-PB`, then `PK`), else the national default.
 */
export function resolveIntakeOrganization(table: Pick<RoutingTable, 'default_organization_id' | 'rules'>, adminArea: string): string {
  let best: { length: number; organization_id: string } | undefined;
  for (const rule of table.rules) {
    const encloses = adminArea === rule.admin_area || adminArea.startsWith(`${rule.admin_area}-`);
    if (encloses && (best === undefined || rule.admin_area.length > best.length)) {
      best = { length: rule.admin_area.length, organization_id: rule.organization_id };
    }
  }
  return best?.organization_id ?? table.default_organization_id;
}
