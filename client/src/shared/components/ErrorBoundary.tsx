// A view that fails to render, or whose code fails to load (e.g. a new release replaced its chunk),
// shows the error state with a reload instead of a blank page. Another `resetKey` (another page)
// tries again.
import { Component, type ReactNode } from 'react';
import { ErrorState } from './States.tsx';

interface Props {
  resetKey: string;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: unknown; resetKey: string }> {
  override state = { error: null as unknown, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { resetKey: string }) {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override render() {
    if (this.state.error)
      return <ErrorState error={this.state.error} retry={() => window.location.reload()} />;
    return this.props.children;
  }
}
