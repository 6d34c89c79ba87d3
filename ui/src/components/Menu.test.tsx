import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Menu } from './Menu.tsx';

afterEach(cleanup);

describe('Menu', () => {
  it('opens from the keyboard on its first item, moves with arrows, closes with Escape back on its button', () => {
    const chosen: string[] = [];
    render(
      <Menu
        label="User"
        info="Signed in as ada"
        items={[
          { label: 'Profile', onSelect: () => chosen.push('profile') },
          { label: 'Log out', onSelect: () => chosen.push('logout') },
        ]}
      />,
    );
    const button = screen.getByRole('button', { name: 'User' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(button, { key: 'ArrowDown' });
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('Signed in as ada')).toBeTruthy();
    const [profile, logout] = screen.getAllByRole('menuitem');
    expect(document.activeElement).toBe(profile);
    fireEvent.keyDown(profile!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(logout);
    fireEvent.keyDown(logout!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(profile);
    fireEvent.keyDown(profile!, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);

    fireEvent.click(button);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Log out' }));
    expect(chosen).toEqual(['logout']);
    expect(screen.queryByRole('menu')).toBeNull();
  });
});
