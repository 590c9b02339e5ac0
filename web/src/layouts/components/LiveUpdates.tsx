import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { subscribe } from '../../services/live';
import { onLiveMessage } from '../service';

/** Keeps what the app shows current from the live stream while the signed-in layout is up. */
export default function LiveUpdates() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const handle = onLiveMessage.bind(null, queryClient);
    const offs = ['todo.', 'notification.', 'ready'].map((prefix) => subscribe(prefix, handle));
    return () => offs.forEach((off) => off());
  }, [queryClient]);
  return null;
}
