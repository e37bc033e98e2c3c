import * as z from 'zod/mini';
import {
  AdminAreaCodeSchema,
  GenderSchema,
  IdSchema,
  LocaleSchema,
  LongTextSchema,
  ServiceTypeSchema,
  ShortTextSchema,
  TimestampSchema,
  uniqueItems,
  PhoneSchema,
} from './primitives.js';
import { PageQueryShape } from './list.js';

/** A service's capacity to take referrals. */
export const SERVICE_CAPACITIES = ['available', 'waitlist', 'unavailable'] as const;
/** A capacity. */
export const ServiceCapacitySchema = /* @__PURE__ */ z.enum(SERVICE_CAPACITIES);
/** A capacity. */
export type ServiceCapacity = z.infer<typeof ServiceCapacitySchema>;

/** Whether a service operates (HSDS status). */
export const SERVICE_STATUSES = ['active', 'inactive', 'temporarily_closed'] as const;
/** A service status. */
export const ServiceStatusSchema = /* @__PURE__ */ z.enum(SERVICE_STATUSES);
/** A service status. */
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

/** A postal address (HSDS `address`). */
export const AddressSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    address_1: ShortTextSchema,
    address_2: z.optional(ShortTextSchema),
    city: ShortTextSchema,
    region: z.optional(ShortTextSchema),
    postal_code: z.optional(z.string().check(z.minLength(1), z.maxLength(20))),
    country: z.string().check(z.regex(/^[A-Z]{2}$/)),
    admin_area: z.optional(AdminAreaCodeSchema),
  }))();
/** A postal address. */
export type Address = z.infer<typeof AddressSchema>;

const AgeSchema = /* @__PURE__ */ (() => z.int().check(z.gte(0), z.lte(120)))();

/** The body of `POST /v1/services` (admin). */
export const ServiceCreateSchema = /* @__PURE__ */ (() =>
  z
    .strictObject({
      organization_id: IdSchema,
      name: ShortTextSchema,
      description: z.optional(LongTextSchema),
      service_type: ServiceTypeSchema,
      coverage: z.array(AdminAreaCodeSchema).check(z.minLength(1), z.maxLength(500), uniqueItems()),
      languages: z.array(LocaleSchema).check(z.minLength(1), z.maxLength(20), uniqueItems()),
      age_min: z.optional(AgeSchema),
      age_max: z.optional(AgeSchema),
      genders: z.optional(z.array(GenderSchema).check(z.maxLength(4), uniqueItems())),
      capacity: ServiceCapacitySchema,
      confidential_address: z.boolean(),
      address: z.optional(AddressSchema),
      phone: z.optional(PhoneSchema),
      email: z.optional(z.email()),
      url: z.optional(z.httpUrl()),
    })
    .check(
      z.refine((s) => s.age_min === undefined || s.age_max === undefined || s.age_min <= s.age_max, {
        message: 'age_min must not be above age_max',
        path: ['age_min'],
      }),
    ))();
/** The body of `POST /v1/services`. */
export type ServiceCreate = z.infer<typeof ServiceCreateSchema>;

/** The body of `POST /v1/services/{id}/capacity` (provider). */
export const ServiceCapacityUpdateSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    capacity: ServiceCapacitySchema,
    available_places: z.optional(z.nullable(z.int().check(z.gte(0), z.lte(100_000)))),
  }))();
/** The body of `POST /v1/services/{id}/capacity`. */
export type ServiceCapacityUpdate = z.infer<typeof ServiceCapacityUpdateSchema>;

/**
 * A service in the directory (HSDS `service`). When `confidential_address` is true, `address` is
 * `null` for everyone except the service's own organisation and the caseworkers and supervisors of
 * an organisation whose referral to it the service has accepted (accepted, in progress, on hold;
 * in the key's mode), and each read of it is audited (`referrerSeesConfidentialAddress`).
 */
export const ServiceSchema = /* @__PURE__ */ (() =>
  z.object({
    id: IdSchema,
    organization_id: IdSchema,
    name: z.string(),
    description: z.nullable(z.string()),
    service_type: ServiceTypeSchema,
    status: ServiceStatusSchema,
    coverage: z.array(AdminAreaCodeSchema),
    languages: z.array(LocaleSchema),
    age_min: z.nullable(z.int()),
    age_max: z.nullable(z.int()),
    genders: z.array(GenderSchema),
    capacity: ServiceCapacitySchema,
    available_places: z.nullable(z.int()),
    capacity_updated_at: TimestampSchema,
    confidential_address: z.boolean(),
    address: z.nullable(AddressSchema),
    phone: z.nullable(z.string()),
    email: z.nullable(z.string()),
    url: z.nullable(z.string()),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  }))();
/** A service. */
export type Service = z.infer<typeof ServiceSchema>;

/** The filters of `GET /v1/services`: search by admin area, service type, capacity. */
export const ServiceSearchQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    admin_area: z.optional(AdminAreaCodeSchema),
    service_type: z.optional(ServiceTypeSchema),
    capacity: z.optional(ServiceCapacitySchema),
    organization_id: z.optional(IdSchema),
    language: z.optional(LocaleSchema),
    age: z.optional(z.pipe(z.coerce.number<number | string>(), AgeSchema)),
  }))();
/** The filters of `GET /v1/services`. */
export type ServiceSearchQuery = z.infer<typeof ServiceSearchQuerySchema>;
