import {
  AuthResult,
  type AppleSignInRequest,
  type GoogleSignInRequest,
  type LoginRequest,
  type RegisterRequest,
} from '@kalei/contracts/auth';
import { useMutation } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthProvider';

/** The sign-in endpoints: each answers an AuthResult that the provider stores. */
export function useAuthMutations() {
  const { api, completeSignIn } = useAuth();
  const finish = async (result: AuthResult) => {
    await completeSignIn(result);
    return result;
  };
  const register = useMutation({
    mutationFn: async (body: RegisterRequest) =>
      finish(await api.request('/v1/auth/register', { method: 'POST', body, schema: AuthResult, auth: false })),
  });
  const login = useMutation({
    mutationFn: async (body: LoginRequest) =>
      finish(await api.request('/v1/auth/login', { method: 'POST', body, schema: AuthResult, auth: false })),
  });
  const apple = useMutation({
    mutationFn: async (body: AppleSignInRequest) =>
      finish(await api.request('/v1/auth/apple', { method: 'POST', body, schema: AuthResult, auth: false })),
  });
  const google = useMutation({
    mutationFn: async (body: GoogleSignInRequest) =>
      finish(await api.request('/v1/auth/google', { method: 'POST', body, schema: AuthResult, auth: false })),
  });
  return { register, login, apple, google };
}
