import { csvToArray } from "../../inputs/CsvArrayInput";

export const transformMetric = (data: Record<string, unknown>) => ({
  ...data,
  eventTypes: csvToArray(data.eventTypes),
  resetEventTypes: csvToArray(data.resetEventTypes),
  distinctAttribute: data.distinctAttribute || null,
  streakUnit: data.streakUnit || null,
});
