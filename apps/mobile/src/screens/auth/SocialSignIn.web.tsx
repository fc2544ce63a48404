import type { SocialSignInProps } from './SocialSignIn.types';

/** Web: Sign in with Apple and Google are offered in the mobile apps only. */
export function SocialSignIn(_props: SocialSignInProps) {
  return null;
}
