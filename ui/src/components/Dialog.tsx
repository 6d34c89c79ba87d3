/**
 * A modal dialog (WAI-ARIA dialog pattern): focus moves into it, Escape closes it, and the
 * focus goes back to what had it before.
 */
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Button } from './Button.tsx';

export interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  actions?: ReactNode;
  children: ReactNode;
}

export const Dialog = ({ title, onClose, actions, children }: DialogProps) => {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    box.current?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      before?.focus();
    };
  }, [onClose]);
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        ref={box}
      >
        <div className="dialog-head">
          <h2 id={titleId} style={{ margin: 0 }}>
            {title}
          </h2>
          <span className="spacer" />
          {actions}
          <Button variant="ghost" onClick={onClose} aria-label="Close">
            ✕
          </Button>
        </div>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
};
