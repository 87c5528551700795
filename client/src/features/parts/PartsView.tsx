// Placeholder: being built.
export default function PartsView({ node }: { node: string }) {
  return <p className="state">{node}</p>;
}
