import NetInfo from '@react-native-community/netinfo';
import { onlineManager } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

/** True when the device reports no connection. Unknown counts as online, so nobody is wrongly warned. */
export function useIsOffline(): boolean {
  const [offline, setOffline] = useState(false);
  useEffect(
    () =>
      NetInfo.addEventListener((state) => {
        setOffline(state.isConnected === false);
      }),
    [],
  );
  return offline;
}

/** Lets TanStack Query pause requests while offline and resume them when the connection returns. */
export function connectQueryToNetwork(): () => void {
  return NetInfo.addEventListener((state) => onlineManager.setOnline(state.isConnected !== false));
}
