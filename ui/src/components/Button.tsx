import type { ButtonHTMLAttributes } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  small?: boolean;
}

/** The one button of the app: a real `<button>` (keyboard and screen readers get it for free). */
export const Button = ({ variant = 'secondary', small, className, type, ...rest }: ButtonProps) => (
  <button
    type={type ?? 'button'}
    className={['btn', `btn-${variant}`, small ? 'btn-small' : '', className ?? ''].join(' ').trim()}
    {...rest}
  />
);
