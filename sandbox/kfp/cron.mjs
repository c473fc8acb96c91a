// robfig/cron v1 `cron.Parse` as the KFP job/recurring-run servers validate cron_schedule.cron:
// 6 fields with seconds (the day-of-week field optional), `*`, `?`, ranges, steps, lists, month and
// weekday names, and the descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly
// @every <duration>. Times are UTC (the API server's location in a pod).

const BOUNDS = [
  { min: 0, max: 59 }, // second
  { min: 0, max: 59 }, // minute
  { min: 0, max: 23 }, // hour
  { min: 1, max: 31 }, // day of month
  { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } }, // month
  { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } }, // day of week
];

function parseInt10(s, expr) {
  if (!/^-?\d+$/.test(s)) throw new Error(`Failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

function parseValue(s, b, expr) {
  const n = b.names?.[s.toLowerCase()];
  return n !== undefined ? n : parseInt10(s, expr);
}

/** One field → { set: Set<number>, star: boolean } */
function parseField(field, b) {
  const set = new Set();
  let star = false;
  for (const expr of field.split(",")) {
    const rangeAndStep = expr.split("/");
    if (rangeAndStep.length > 2) throw new Error(`Too many slashes: ${expr}`);
    const lowAndHigh = rangeAndStep[0].split("-");
    if (lowAndHigh.length > 2) throw new Error(`Too many hyphens: ${expr}`);
    let start;
    let end;
    let extraStar = false;
    if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
      start = b.min;
      end = b.max;
      extraStar = true;
    } else {
      start = parseValue(lowAndHigh[0], b, expr);
      end = lowAndHigh.length === 2 ? parseValue(lowAndHigh[1], b, expr) : start;
    }
    let step = 1;
    if (rangeAndStep.length === 2) {
      step = parseInt10(rangeAndStep[1], expr);
      if (lowAndHigh.length === 1 && !extraStar) end = b.max; // "N/step"
      if (step <= 0) throw new Error(`Step of range should be a positive number: ${expr}`);
      if (step > 1) extraStar = false;
    }
    if (start < b.min) throw new Error(`Beginning of range (${start}) below minimum (${b.min}): ${expr}`);
    if (end > b.max) throw new Error(`End of range (${end}) above maximum (${b.max}): ${expr}`);
    if (start > end) throw new Error(`Beginning of range (${start}) beyond end of range (${end}): ${expr}`);
    for (let v = start; v <= end; v += step) set.add(v);
    if (extraStar) star = true;
  }
  return { set, star };
}

/** Go time.ParseDuration subset → seconds. */
function parseDuration(s) {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const mult = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  let m;
  let pos = 0;
  if (!s) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  while ((m = re.exec(s))) {
    total += Number(m[1]) * mult[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== s.length) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  return total;
}

/**
 * @returns {{ next(fromMs: number): number|null, spec: string }}
 * @throws Error with robfig/cron's message
 */
export function parseCron(spec) {
  const s = String(spec).trim();
  if (!s) throw new Error("Empty spec string");
  if (s.startsWith("@")) {
    const descriptors = { "@yearly": "0 0 0 1 1 *", "@annually": "0 0 0 1 1 *", "@monthly": "0 0 0 1 * *", "@weekly": "0 0 0 * * 0", "@daily": "0 0 0 * * *", "@midnight": "0 0 0 * * *", "@hourly": "0 0 * * * *" };
    if (descriptors[s]) return { ...parseCron(descriptors[s]), spec: s };
    if (s.startsWith("@every ")) {
      const sec = Math.round(parseDuration(s.slice(7).trim()));
      const every = Math.max(sec, 1) * 1000;
      return { spec: s, next: (from) => Math.floor(from / 1000) * 1000 + every };
    }
    throw new Error(`Unrecognized descriptor: ${s}`);
  }
  let fields = s.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) throw new Error(`Expected 5 to 6 fields, found ${fields.length}: ${s}`);
  if (fields.length === 5) fields = [...fields, "*"]; // DowOptional
  const [sec, min, hour, dom, month, dow] = fields.map((f, i) => parseField(f, BOUNDS[i]));
  const dayMatches = (d) => {
    const domMatch = dom.set.has(d.getUTCDate());
    const dowMatch = dow.set.has(d.getUTCDay());
    if (dom.star || dow.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  };
  return {
    spec: s,
    /** First matching instant strictly after fromMs (ms), or null within 5 years. */
    next(fromMs) {
      const t = new Date(Math.floor(fromMs / 1000) * 1000 + 1000);
      const limit = t.getTime() + 5 * 366 * 86400 * 1000;
      while (t.getTime() < limit) {
        if (!month.set.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!hour.set.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
          continue;
        }
        if (!min.set.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
          continue;
        }
        if (!sec.set.has(t.getUTCSeconds())) {
          t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
          continue;
        }
        return t.getTime();
      }
      return null;
    },
  };
}
