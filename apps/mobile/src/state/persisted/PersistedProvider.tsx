import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { defaultPersistedState, type PersistedState } from './schema';
import { persistedStore } from './store';

interface PersistedContextValue {
  ready: boolean;
  state: PersistedState;
  update: (patch: Partial<PersistedState>) => void;
}

const PersistedContext = createContext<PersistedContextValue | null>(null);

/** Loads device-local preferences once and writes every change through. */
export function PersistedProvider({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  const [state, setState] = useState<PersistedState>(defaultPersistedState);

  useEffect(() => {
    let alive = true;
    persistedStore
      .read()
      .then((stored) => alive && setState(stored))
      .finally(() => alive && setReady(true));
    return () => {
      alive = false;
    };
  }, []);

  const update = useCallback((patch: Partial<PersistedState>) => {
    setState((previous) => {
      const next = { ...previous, ...patch };
      void persistedStore.write(next);
      return next;
    });
  }, []);

  const value = useMemo(() => ({ ready, state, update }), [ready, state, update]);
  return <PersistedContext.Provider value={value}>{children}</PersistedContext.Provider>;
}

/** Device-local preferences and their setter. */
export function usePersisted(): PersistedContextValue {
  const value = useContext(PersistedContext);
  if (!value) throw new Error('usePersisted needs a PersistedProvider');
  return value;
}
