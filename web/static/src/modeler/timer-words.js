/* The meaning of a timer's ISO 8601 expression in Russian words: «через 14 дней», «2025-09-01 в 09:00 (UTC)»,
 * «каждые 7 дней, 3 раза». A Python expression over the process data (anything that is not an ISO literal)
 * is described as computed when the step starts. */

function plural(n, one, few, many) {
  const mod10 = n % 10, mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) { return one; }
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) { return few; }
  return many;
}

const UNITS = [
  ['Y', ['год', 'года', 'лет']],
  ['M', ['месяц', 'месяца', 'месяцев']],
  ['W', ['неделю', 'недели', 'недель']],
  ['D', ['день', 'дня', 'дней']],
  ['H', ['час', 'часа', 'часов']],
  ['TM', ['минуту', 'минуты', 'минут']],
  ['S', ['секунду', 'секунды', 'секунд']]
];

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/* "14 дней" for P14D; null if not an ISO 8601 duration. */
export function durationWords(text) {
  const match = DURATION.exec(text);
  if (!match || text.toUpperCase() === 'P' || /T$/i.test(text)) { return null; }
  const parts = [];
  UNITS.forEach(function(unit, index) {
    const raw = match[index + 1];
    if (raw === undefined) { return; }
    const n = Number(String(raw).replace(',', '.'));
    const forms = unit[1];
    parts.push(n + ' ' + (Number.isInteger(n) ? plural(n, forms[0], forms[1], forms[2]) : forms[1]));
  });
  return parts.length ? parts.join(' ') : null;
}

function dateWords(text) {
  const match = DATE.exec(text);
  if (!match) { return null; }
  let words = match[3] + '.' + match[2] + '.' + match[1];
  if (match[4] !== undefined) {
    words += ' в ' + match[4] + ':' + match[5];
    words += match[7] ? (match[7].toUpperCase() === 'Z' ? ' (UTC)' : ' (UTC' + match[7] + ')') : '';
  }
  return words;
}

function unquote(text) {
  const trimmed = (text || '').trim();
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  return quoted ? quoted[2].trim() : trimmed;
}

/* kind: timeDuration | timeDate | timeCycle. */
export function timerWords(kind, expression) {
  const text = unquote(expression);
  if (!text) { return 'выражение не задано'; }
  if (kind === 'timeDuration') {
    const words = durationWords(text);
    if (words) { return 'через ' + words + ' после начала ожидания'; }
  } else if (kind === 'timeDate') {
    const words = dateWords(text);
    if (words) { return words; }
  } else if (kind === 'timeCycle') {
    const cycle = /^R(\d*)\/(?:([^/]+)\/)?(P[^/]+)$/i.exec(text);
    if (cycle) {
      const every = durationWords(cycle[3]);
      if (every) {
        const start = cycle[2] ? ', начиная с ' + (dateWords(cycle[2]) || cycle[2]) : '';
        const single = { 'день': 'каждый день', 'месяц': 'каждый месяц', 'год': 'каждый год', 'час': 'каждый час',
          'неделю': 'каждую неделю', 'минуту': 'каждую минуту', 'секунду': 'каждую секунду' };
        const once = /^1 (\S+)$/.exec(every);
        const phrase = once && single[once[1]] ? single[once[1]] : 'каждые ' + every;
        const times = cycle[1] ? ', ' + cycle[1] + ' ' + plural(Number(cycle[1]), 'раз', 'раза', 'раз') : ', без конца';
        return phrase + start + times;
      }
    }
  }
  if (/^[\w\s.'"\[\]()+\-*,]+$/.test(text) && !/^P|^R|^\d{4}-/i.test(text)) {
    return 'вычисляется выражением из данных процесса при начале ожидания';
  }
  return 'не ISO 8601: проверка укажет ошибку';
}
