/**
 * Hand-drawn SVG charts (no chart library: a few hundred bytes each, the app's theme colours through
 * CSS classes, and every bar a focusable element with its numbers as its accessible name).
 */
import { niceMax, type StackedDay } from './stats.ts';

const W = 720;
const H = 220;
const PAD = { left: 40, right: 8, top: 8, bottom: 28 };

const shortDay = (day: string) => day.slice(5);

const Axis = ({ max, format }: { max: number; format: (n: number) => string }) => (
  <g className="chart-axis">
    {[0, 0.5, 1].map((f) => {
      const y = PAD.top + (1 - f) * (H - PAD.top - PAD.bottom);
      return (
        <g key={f}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} />
          <text x={PAD.left - 6} y={y + 4} textAnchor="end">
            {format(max * f)}
          </text>
        </g>
      );
    })}
  </g>
);

/** Days as bars stacked by state; a legend under it. */
export const StackedBars = ({
  days,
  states,
  label,
}: {
  days: StackedDay[];
  states: string[];
  label: string;
}) => {
  const max = niceMax(Math.max(0, ...days.map((d) => d.total)));
  const plotH = H - PAD.top - PAD.bottom;
  const slot = (W - PAD.left - PAD.right) / Math.max(1, days.length);
  const barW = Math.max(2, Math.min(36, slot * 0.7));
  const y = (n: number) => PAD.top + plotH - (n / max) * plotH;
  return (
    <figure className="chart" aria-label={label}>
      <svg viewBox={`0 0 ${W} ${H}`} data-testid="chart-daily">
        <title>{label}</title>
        <Axis max={max} format={(n) => String(Math.round(n))} />
        {days.map((d, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          const text = `${d.day}: ${d.total} runs${d.segments.map((s) => `, ${s.to - s.from} ${s.state}`).join('')}`;
          return (
            // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a bar is focusable so that keyboard users hear its numbers (role img with a name)
            <g key={d.day} className="chart-bar" tabIndex={0} role="img" aria-label={text}>
              <title>{text}</title>
              <rect x={PAD.left + i * slot} y={PAD.top} width={slot} height={plotH} className="chart-hit" />
              {d.segments.map((s) => (
                <rect
                  key={s.state}
                  className={`state-${s.state}`}
                  fill="currentColor"
                  x={x}
                  width={barW}
                  y={y(s.to)}
                  height={Math.max(0, y(s.from) - y(s.to))}
                />
              ))}
              {days.length <= 16 || i % Math.ceil(days.length / 12) === 0 ? (
                <text x={x + barW / 2} y={H - 10} textAnchor="middle" className="chart-label">
                  {shortDay(d.day)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {states.map((s) => (
          <span key={s} className={`state-${s}`}>
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill="currentColor" />
            </svg>{' '}
            <span className="legend-name">{s}</span>
          </span>
        ))}
      </figcaption>
    </figure>
  );
};

/** One value per day (a rate 0..1), as bars; days without a value show a gap. */
export const RateBars = ({
  points,
  label,
}: {
  points: { day: string; rate: number | undefined }[];
  label: string;
}) => {
  const plotH = H - PAD.top - PAD.bottom;
  const slot = (W - PAD.left - PAD.right) / Math.max(1, points.length);
  const barW = Math.max(2, Math.min(36, slot * 0.7));
  const pct = (r: number) => `${Math.round(r * 100)}%`;
  return (
    <figure className="chart" aria-label={label}>
      <svg viewBox={`0 0 ${W} ${H}`} data-testid="chart-failure-rate">
        <title>{label}</title>
        <Axis max={1} format={pct} />
        {points.map((p, i) => {
          const text = `${p.day}: ${p.rate === undefined ? 'no finished run' : `${pct(p.rate)} failed`}`;
          const h = (p.rate ?? 0) * plotH;
          return (
            // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a bar is focusable so that keyboard users hear its numbers (role img with a name)
            <g key={p.day} className="chart-bar" tabIndex={0} role="img" aria-label={text}>
              <title>{text}</title>
              <rect x={PAD.left + i * slot} y={PAD.top} width={slot} height={plotH} className="chart-hit" />
              <rect
                className="state-FAILED"
                fill="currentColor"
                x={PAD.left + i * slot + (slot - barW) / 2}
                width={barW}
                y={PAD.top + plotH - h}
                height={h}
              />
            </g>
          );
        })}
      </svg>
    </figure>
  );
};

export interface HBarRow {
  label: string;
  values: { name: string; value: number; className: string; text: string }[];
}

/** Rows of horizontal bars (one per value, sharing the row's scale): durations or minutes per flow. */
export const HBars = ({ rows, label, testId }: { rows: HBarRow[]; label: string; testId: string }) => {
  const max = Math.max(0, ...rows.flatMap((r) => r.values.map((v) => v.value)));
  const rowH = 14 * Math.max(1, ...rows.map((r) => r.values.length)) + 10;
  const labelW = 180;
  const height = Math.max(1, rows.length) * rowH + 4;
  const scale = (v: number) => (max === 0 ? 0 : (v / max) * (W - labelW - 140));
  return (
    <figure className="chart" aria-label={label}>
      <svg viewBox={`0 0 ${W} ${height}`} data-testid={testId}>
        <title>{label}</title>
        {rows.map((r, i) => (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a bar is focusable so that keyboard users hear its numbers (role img with a name)
          <g
            key={r.label}
            className="chart-bar"
            tabIndex={0}
            role="img"
            aria-label={`${r.label}: ${r.values.map((v) => `${v.name} ${v.text}`).join(', ')}`}
          >
            <text x={labelW - 8} y={i * rowH + rowH / 2 + 4} textAnchor="end" className="chart-label">
              {r.label.length > 28 ? `…${r.label.slice(-27)}` : r.label}
            </text>
            {r.values.map((v, j) => (
              <g key={v.name}>
                <rect
                  className={v.className}
                  fill="currentColor"
                  x={labelW}
                  y={i * rowH + 5 + j * 14}
                  width={Math.max(1, scale(v.value))}
                  height={11}
                />
                <text
                  x={labelW + Math.max(1, scale(v.value)) + 6}
                  y={i * rowH + 14 + j * 14}
                  className="chart-label"
                >
                  {v.name} {v.text}
                </text>
              </g>
            ))}
          </g>
        ))}
      </svg>
    </figure>
  );
};
