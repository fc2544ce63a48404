import { AccountExport } from '@kalei/contracts/account';
import { useMutation } from '@tanstack/react-query';
import { useApi } from '../../auth/AuthProvider';

/** GET /v1/me/export: everything the account holds, checked against the contract. */
export function useExportAccount() {
  const api = useApi();
  return useMutation({ mutationFn: () => api.request('/v1/me/export', { method: 'GET', schema: AccountExport }) });
}

/** DELETE /v1/me with the typed confirmation; on success this device forgets the session. */
export function useDeleteAccount() {
  const api = useApi();
  return useMutation({
    mutationFn: async () => {
      await api.request('/v1/me', { method: 'DELETE', body: { confirm: 'delete my account' } });
      await api.forget('deleted');
    },
  });
}
