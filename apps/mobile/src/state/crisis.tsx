import type { CrisisResponse } from '@kalei/contracts/safety';
import { useRouter } from 'expo-router';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

interface CrisisContextValue {
  /** The last crisis response the API returned; the crisis view shows it. */
  response: CrisisResponse | null;
  /** Shows the full-screen crisis view for a response, instead of any AI result. */
  showCrisis: (response: CrisisResponse) => void;
  dismiss: () => void;
}

const CrisisContext = createContext<CrisisContextValue | null>(null);

/** Holds the crisis response between the screen that received it and the crisis view. */
export function CrisisProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [response, setResponse] = useState<CrisisResponse | null>(null);
  const showCrisis = useCallback(
    (next: CrisisResponse) => {
      setResponse(next);
      router.push('/crisis');
    },
    [router],
  );
  const dismiss = useCallback(() => {
    if (router.canGoBack()) router.back();
    else router.replace('/');
  }, [router]);
  const value = useMemo(() => ({ response, showCrisis, dismiss }), [response, showCrisis, dismiss]);
  return <CrisisContext.Provider value={value}>{children}</CrisisContext.Provider>;
}

/** The crisis response in view and the way to show one. */
export function useCrisis(): CrisisContextValue {
  const value = useContext(CrisisContext);
  if (!value) throw new Error('useCrisis needs a CrisisProvider');
  return value;
}
