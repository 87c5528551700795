// Placeholder: being built.
export default function ForecastView({ node }: { node: string }) {
  return <p className="state">{node}</p>;
}
