// The map of China for the wall: ECharts' map, geo, scatter and visual-map parts and the shipped
// province shapes (china.geo.json, see china.geo.md). Loaded only when a wall draws its map.
import { MapChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, VisualMapComponent } from 'echarts/components';
import { echarts } from '../../shared/charts/echarts.ts';
import geo from './china.geo.json';

echarts.use([MapChart, ScatterChart, GeoComponent, VisualMapComponent]);
// 'china' is the name for which ECharts adds the South China Sea islands inset.
echarts.registerMap('china', geo as unknown as Parameters<typeof echarts.registerMap>[1]);

/** Each province's centre (longitude, latitude), by the map's name for it. */
export const PROVINCE_CENTRES = new Map<string, [number, number]>(
  geo.features.map((f) => [f.properties.name, [f.properties.cp[0]!, f.properties.cp[1]!]]),
);
