import * as z from 'zod/mini';
import { AdminAreaCodeSchema, IdSchema, LongTextSchema, PhoneSchema, ShortTextSchema, TimestampSchema, uniqueItems } from './primitives.js';
import { PageQueryShape } from './list.js';

/** The kinds of organisation in the directory. */
export const ORGANIZATION_KINDS = ['government', 'ngo', 'un_agency', 'police', 'health', 'legal', 'education', 'other'] as const;
/** An organisation kind. */
export const OrganizationKindSchema = /* @__PURE__ */ z.enum(ORGANIZATION_KINDS);
/** An organisation kind. */
export type OrganizationKind = z.infer<typeof OrganizationKindSchema>;

const organizationInputShape = /* @__PURE__ */ (() => ({
  name: ShortTextSchema,
  kind: OrganizationKindSchema,
  description: z.optional(LongTextSchema),
  url: z.optional(z.httpUrl()),
  email: z.optional(z.email()),
  phone: z.optional(PhoneSchema),
  admin_areas: z.array(AdminAreaCodeSchema).check(z.minLength(1), z.maxLength(500), uniqueItems()),
}))();

/** The body of `POST /v1/organizations` (admin). */
export const OrganizationCreateSchema = /* @__PURE__ */ z.strictObject(organizationInputShape);
/** The body of `POST /v1/organizations`. */
export type OrganizationCreate = z.infer<typeof OrganizationCreateSchema>;

/** An organisation in the directory (HSDS `organization`). */
export const OrganizationSchema = /* @__PURE__ */ (() =>
  z.object({
    id: IdSchema,
    name: z.string(),
    kind: OrganizationKindSchema,
    description: z.nullable(z.string()),
    url: z.nullable(z.string()),
    email: z.nullable(z.string()),
    phone: z.nullable(z.string()),
    admin_areas: z.array(AdminAreaCodeSchema),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  }))();
/** An organisation. */
export type Organization = z.infer<typeof OrganizationSchema>;

/** The filters of `GET /v1/organizations`. */
export const OrganizationSearchQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    q: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    admin_area: z.optional(AdminAreaCodeSchema),
    kind: z.optional(OrganizationKindSchema),
  }))();
/** The filters of `GET /v1/organizations`. */
export type OrganizationSearchQuery = z.infer<typeof OrganizationSearchQuerySchema>;
