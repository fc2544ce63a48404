import * as AppleAuthentication from 'expo-apple-authentication';
import * as Google from 'expo-auth-session/providers/google';
import * as Crypto from 'expo-crypto';
import * as WebBrowser from 'expo-web-browser';
import { useEffect, useState } from 'react';
import { Platform, View } from 'react-native';
import { describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { deviceCountry, deviceInfo, deviceLocale, deviceTimeZone } from '../../lib/device';
import { useAuthMutations } from '../../state/queries/auth';
import { useTheme } from '../../theme/tokens';
import type { SocialSignInProps } from './SocialSignIn.types';

WebBrowser.maybeCompleteAuthSession();

const googleClientIds = {
  iosClientId: process.env.EXPO_PUBLIC_GOOGLE_IOS_CLIENT_ID,
  androidClientId: process.env.EXPO_PUBLIC_GOOGLE_ANDROID_CLIENT_ID,
};

function profileSeed() {
  return { locale: deviceLocale(), timezone: deviceTimeZone(), country: deviceCountry() ?? undefined, device: deviceInfo() };
}

/** Sign in with Apple (iOS) and Google (when client ids are configured), native only. */
export function SocialSignIn({ onError }: SocialSignInProps) {
  const { apple, google } = useAuthMutations();
  const { scheme, space } = useTheme();
  const [appleAvailable, setAppleAvailable] = useState(false);
  const googleConfigured = Platform.OS === 'ios' ? !!googleClientIds.iosClientId : !!googleClientIds.androidClientId;
  const [googleNonce] = useState(() => Crypto.randomUUID());
  const [request, response, promptAsync] = Google.useIdTokenAuthRequest({ ...googleClientIds, extraParams: { nonce: googleNonce } });

  useEffect(() => {
    if (Platform.OS === 'ios') void AppleAuthentication.isAvailableAsync().then(setAppleAvailable);
  }, []);

  useEffect(() => {
    if (response?.type !== 'success') return;
    const idToken = response.params.id_token;
    if (!idToken) return onError('Google did not return an identity token.');
    google.mutate({ idToken, nonce: googleNonce, ...profileSeed() }, { onError: (error) => onError(describeError(error)) });
  }, [response, google, googleNonce, onError]);

  const signInWithApple = async () => {
    try {
      // Apple signs the SHA-256 of the nonce; the API checks it against the raw one we send.
      const rawNonce = Crypto.randomUUID() + Crypto.randomUUID();
      const hashed = await Crypto.digestStringAsync(Crypto.CryptoDigestAlgorithm.SHA256, rawNonce);
      const credential = await AppleAuthentication.signInAsync({
        requestedScopes: [AppleAuthentication.AppleAuthenticationScope.FULL_NAME, AppleAuthentication.AppleAuthenticationScope.EMAIL],
        nonce: hashed,
      });
      if (!credential.identityToken) return onError('Apple did not return an identity token.');
      const displayName = credential.fullName ? AppleAuthentication.formatFullName(credential.fullName).trim() : '';
      apple.mutate(
        { idToken: credential.identityToken, nonce: rawNonce, ...(displayName ? { displayName } : {}), ...profileSeed() },
        { onError: (error) => onError(describeError(error)) },
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_REQUEST_CANCELED') return;
      onError('Sign in with Apple did not complete.');
    }
  };

  if (!appleAvailable && !googleConfigured) return null;
  return (
    <View style={{ gap: space.md, marginBottom: space.lg }}>
      {appleAvailable ? (
        <AppleAuthentication.AppleAuthenticationButton
          buttonType={AppleAuthentication.AppleAuthenticationButtonType.SIGN_IN}
          buttonStyle={scheme === 'dark' ? AppleAuthentication.AppleAuthenticationButtonStyle.WHITE : AppleAuthentication.AppleAuthenticationButtonStyle.BLACK}
          cornerRadius={24}
          style={{ height: 48 }}
          onPress={signInWithApple}
        />
      ) : null}
      {googleConfigured ? (
        <Button label="Continue with Google" variant="secondary" disabled={!request} loading={google.isPending} onPress={() => void promptAsync()} />
      ) : null}
    </View>
  );
}
