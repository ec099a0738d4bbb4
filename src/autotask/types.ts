/** The shapes Autotask answers with, shared by the client, the caches and the tools. */
import type { Filter } from "./filter.ts";

export type Row = Record<string, unknown> & { id: number };

export interface QueryOptions {
  filter: Filter[];
  includeFields?: string[];
  /** Page size, 1–500 (Autotask's default and maximum is 500). */
  maxRecords?: number;
}

export interface Page<T = Row> {
  items: T[];
  nextPageUrl: string | null;
}

export interface FieldInfo {
  name: string;
  dataType: string;
  length: number;
  isRequired: boolean;
  isReadOnly: boolean;
  isQueryable: boolean;
  isReference: boolean;
  referenceEntityType: string;
  isPickList: boolean;
  picklistValues: PicklistValue[] | null;
  picklistParentValueField: string;
}

/** A user-defined field's metadata: like FieldInfo, but the type is in `type` and the UDF is named by its label. */
export type UdfInfo = Omit<FieldInfo, "dataType"> & { type: string; label?: string; description?: string };

export interface PicklistValue {
  value: string;
  label: string;
  isDefaultValue: boolean;
  sortOrder: number;
  parentValue: string;
  isActive: boolean;
  isSystem: boolean;
}

export interface ThresholdInfo {
  externalRequestThreshold: number;
  requestThresholdTimeframe: number;
  currentTimeframeRequestCount: number;
}
