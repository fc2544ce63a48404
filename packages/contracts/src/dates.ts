import { z } from 'zod';

/**
 * The calendar dates Kalei accepts. PostgreSQL has no year 0 and nothing in the product reaches
 * before 1900 (check-ins, goal target dates, Gallery filters), so years 1900–9999 only: anything
 * else is a validation problem instead of an error from the database.
 */
export const DATE_RANGE = { min: '1900-01-01', max: '9999-12-31' } as const;

/** A calendar date, `YYYY-MM-DD`, in 1900-01-01..9999-12-31 (the format already caps the year at 9999). */
export const CalendarDate = z.iso
  .date()
  .refine((date) => date >= DATE_RANGE.min && date <= DATE_RANGE.max, {
    message: `Dates must lie between ${DATE_RANGE.min} and ${DATE_RANGE.max}.`,
  })
  .meta({ example: '2026-03-14' });
