-- Calendar dimension with China's public holidays.
-- Lunar holidays move every year, so their dates are listed; fixed-date holidays are computed.
-- Spring Festival (春节) runs from New Year's Eve (除夕) for 7 days; the weeks around it are the
-- trade's slowest, which is why seasonality and year-on-year comparisons need this flag.

CREATE TABLE cn_lunar_holiday (
  holiday    VARCHAR NOT NULL,   -- spring_festival | dragon_boat | mid_autumn
  first_day  DATE NOT NULL,      -- the holiday's day itself (春节 = lunar new year's day)
  days       INTEGER NOT NULL
);

INSERT INTO cn_lunar_holiday VALUES
  ('spring_festival', DATE '2015-02-19', 7), ('spring_festival', DATE '2016-02-08', 7),
  ('spring_festival', DATE '2017-01-28', 7), ('spring_festival', DATE '2018-02-16', 7),
  ('spring_festival', DATE '2019-02-05', 7), ('spring_festival', DATE '2020-01-25', 7),
  ('spring_festival', DATE '2021-02-12', 7), ('spring_festival', DATE '2022-02-01', 7),
  ('spring_festival', DATE '2023-01-22', 7), ('spring_festival', DATE '2024-02-10', 7),
  ('spring_festival', DATE '2025-01-29', 7), ('spring_festival', DATE '2026-02-17', 7),
  ('spring_festival', DATE '2027-02-06', 7), ('spring_festival', DATE '2028-01-26', 7),
  ('spring_festival', DATE '2029-02-13', 7), ('spring_festival', DATE '2030-02-03', 7),
  ('dragon_boat', DATE '2020-06-25', 3), ('dragon_boat', DATE '2021-06-14', 1),
  ('dragon_boat', DATE '2022-06-03', 3), ('dragon_boat', DATE '2023-06-22', 3),
  ('dragon_boat', DATE '2024-06-10', 1), ('dragon_boat', DATE '2025-05-31', 3),
  ('dragon_boat', DATE '2026-06-19', 3), ('dragon_boat', DATE '2027-06-09', 3),
  ('dragon_boat', DATE '2028-05-28', 3),
  ('mid_autumn', DATE '2020-10-01', 1), ('mid_autumn', DATE '2021-09-21', 1),
  ('mid_autumn', DATE '2022-09-10', 3), ('mid_autumn', DATE '2023-09-29', 1),
  ('mid_autumn', DATE '2024-09-17', 1), ('mid_autumn', DATE '2025-10-06', 1),
  ('mid_autumn', DATE '2026-09-25', 3), ('mid_autumn', DATE '2027-09-15', 3),
  ('mid_autumn', DATE '2028-10-03', 1);

CREATE TABLE dim_date (
  date_key     DATE PRIMARY KEY,
  year         INTEGER NOT NULL,
  quarter      INTEGER NOT NULL,
  month        INTEGER NOT NULL,
  month_key    VARCHAR NOT NULL,     -- YYYY-MM
  iso_year     INTEGER NOT NULL,
  iso_week     INTEGER NOT NULL,
  day_of_week  INTEGER NOT NULL,     -- ISO: 1 = Monday … 7 = Sunday
  is_weekend   BOOLEAN NOT NULL,
  is_holiday   BOOLEAN NOT NULL,
  holiday      VARCHAR               -- new_year | spring_festival | qingming | labour_day | dragon_boat | mid_autumn | national_day
);

INSERT INTO dim_date
WITH days AS (
  SELECT CAST(d AS DATE) AS d FROM range(DATE '2015-01-01', DATE '2036-01-01', INTERVAL 1 DAY) t(d)
), lunar AS (
  -- Spring Festival's break starts on New Year's Eve, the day before the listed day.
  SELECT CAST(first_day + INTERVAL (i - CASE WHEN holiday = 'spring_festival' THEN 1 ELSE 0 END) DAY AS DATE) AS d, holiday
  FROM cn_lunar_holiday, range(0, 8) r(i)
  WHERE i < days
)
SELECT
  days.d, year(days.d), quarter(days.d), month(days.d), strftime(days.d, '%Y-%m'),
  isoyear(days.d), week(days.d), isodow(days.d), isodow(days.d) >= 6,
  coalesce(h.holiday, f.holiday) IS NOT NULL,
  coalesce(h.holiday, f.holiday)
FROM days
LEFT JOIN lunar h ON h.d = days.d
LEFT JOIN LATERAL (
  SELECT CASE
    WHEN month(days.d) = 1 AND day(days.d) = 1 THEN 'new_year'
    WHEN month(days.d) = 4 AND day(days.d) BETWEEN 4 AND 6 THEN 'qingming'
    WHEN month(days.d) = 5 AND day(days.d) BETWEEN 1 AND 5 THEN 'labour_day'
    WHEN month(days.d) = 10 AND day(days.d) BETWEEN 1 AND 7 THEN 'national_day'
  END AS holiday
) f ON true
ORDER BY days.d;
