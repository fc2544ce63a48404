/** Props of the Sign in with Apple / Google block (native only; the web twin renders nothing). */
export interface SocialSignInProps {
  onError: (message: string) => void;
}
