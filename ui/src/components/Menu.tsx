/**
 * A menu button (WAI-ARIA menu pattern): Enter, Space or ArrowDown opens it on its first item, arrows
 * move, Escape closes it and gives the focus back to the button, a click outside closes it.
 */
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';

export interface MenuProps {
  label: ReactNode;
  /** Accessible name of the button when the label is not text. */
  ariaLabel?: string;
  /** Text above the items (not focusable). */
  info?: ReactNode;
  items: { label: string; onSelect: () => void }[];
}

export const Menu = ({ label, ariaLabel, info, items }: MenuProps) => {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (!open) return;
    itemRefs.current[0]?.focus();
    const outside = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const onKey = (e: KeyboardEvent) => {
    const focused = itemRefs.current.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => itemRefs.current[(to + items.length) % items.length]?.focus();
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      move(focused + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      move(focused - 1);
    } else if (e.key === 'Home') {
      e.preventDefault();
      move(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      move(items.length - 1);
    } else if (e.key === 'Tab') setOpen(false);
  };

  return (
    <div className="menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="btn btn-ghost"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={ariaLabel}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (!open && e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {label}
      </button>
      {open ? (
        <div className="menu-list" role="menu" id={id} onKeyDown={onKey}>
          {info ? <div className="menu-info">{info}</div> : null}
          {items.map((item, i) => (
            <button
              key={item.label}
              ref={(el) => {
                itemRefs.current[i] = el;
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                close();
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
};
