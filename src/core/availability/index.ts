export {
  clip,
  complement,
  intersect,
  isNormalized,
  normalize,
  subtract,
  totalLength,
  union,
  unionAll,
  type Interval,
} from './intervals.ts';
export {
  availabilityBetween,
  dailyAvailability,
  monthlyAvailability,
  monthRange,
  type AvailabilityInput,
  type AvailabilityResult,
  type MaintenanceRecord,
  type MonthInput,
} from './availability.ts';
export {
  CHECK_DOWN,
  CHECK_UNKNOWN,
  CHECK_UP,
  outagesFromChecks,
  type CheckIntervals,
  type CheckSeries,
  type CheckStatus,
  type OutageOptions,
} from './checks.ts';
export { DAY_MS, dailyOf, stretchesOf, utcDay, type DailyFigures, type RunLike, type StateStretch } from './rollup.ts';
