import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Me, OfficialRole } from '@motcua/contracts';
import { api, ApiRequestError, setCsrfToken } from '../api/client';

export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user, or null for a visitor. */
async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/auth/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000 });
}

/** Record a fresh session (after sign-up, sign-in or TOTP) without another round trip. */
export function useSignedIn() {
  const queryClient = useQueryClient();
  return useCallback(
    (me: Me) => {
      setCsrfToken(me.csrfToken);
      queryClient.setQueryData(ME_KEY, me);
    },
    [queryClient],
  );
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    try {
      await api.post<void>('/auth/logout');
    } catch (error) {
      // An expired session is already signed out; anything else is still cleared locally.
      if (!(error instanceof ApiRequestError) || error.status !== 401) console.warn('logout failed', error);
    }
    setCsrfToken(null);
    queryClient.clear();
    queryClient.setQueryData(ME_KEY, null);
  }, [queryClient]);
}

export function hasRole(me: Me | null | undefined, ...roles: OfficialRole[]): boolean {
  return !!me && me.roles.some((grant) => roles.includes(grant.role));
}

/** Where a user lands after signing in. */
export function homeFor(me: Me): string {
  return me.kind === 'official' ? '/staff' : '/me';
}
