// Names the API gives in Chinese only, in the reader's language: store types and car brands.
import { translate, type Lang } from '../i18n.ts';
import type { RankResponse } from './types.ts';

/** Store types, in the order a type filter lists them. */
export const STORE_TYPES = ['4s', 'non4s', 'used_car', 'other'] as const;
export type StoreType = (typeof STORE_TYPES)[number];

export const isStoreType = (type: string | null | undefined): type is StoreType =>
  STORE_TYPES.includes(type as StoreType);

export function storeTypeName(type: string | null | undefined, lang: Lang): string {
  return isStoreType(type) ? translate(lang, `storeType_${type}`) : (type ?? '');
}

const BRANDS_EN: Record<string, string> = {
  丰田: 'Toyota',
  保时捷: 'Porsche',
  别克: 'Buick',
  吉利: 'Geely',
  哈弗: 'Haval',
  埃安: 'AION',
  大众: 'Volkswagen',
  奔驰: 'Mercedes-Benz',
  奥迪: 'Audi',
  宝马: 'BMW',
  岚图: 'Voyah',
  日产: 'Nissan',
  本田: 'Honda',
  极氪: 'Zeekr',
  比亚迪: 'BYD',
  长安: 'Changan',
  问界: 'AITO',
  雷克萨斯: 'Lexus',
  凯迪拉克: 'Cadillac',
  沃尔沃: 'Volvo',
  路虎: 'Land Rover',
  捷豹: 'Jaguar',
  林肯: 'Lincoln',
  红旗: 'Hongqi',
  蔚来: 'NIO',
  理想: 'Li Auto',
  小鹏: 'XPeng',
  特斯拉: 'Tesla',
  领克: 'Lynk & Co',
  传祺: 'Trumpchi',
  奇瑞: 'Chery',
  雪佛兰: 'Chevrolet',
  福特: 'Ford',
  现代: 'Hyundai',
  起亚: 'Kia',
  马自达: 'Mazda',
  斯柯达: 'Skoda',
  腾势: 'Denza',
  方程豹: 'Fangchengbao',
  仰望: 'Yangwang',
  深蓝: 'Deepal',
  阿维塔: 'Avatr',
};

/** A car brand in the reader's language (the Chinese name when no English one is known). */
export const brandName = (brand: string, lang: Lang): string =>
  lang === 'en' ? (BRANDS_EN[brand] ?? brand) : brand;

/** The peer group in words: 同类：4S店 · 宝马，共12家 / Peers: 4S · BMW, 12 stores. */
export function peerGroupText(rank: Pick<RankResponse, 'peer_group' | 'of'>, lang: Lang): string {
  const g = rank.peer_group;
  if (g.level !== 'store') return translate(lang, 'peerGroupLevel', { n: rank.of });
  const parts = [
    g.store_type ? storeTypeName(g.store_type, lang) : null,
    g.brand ? brandName(g.brand, lang) : null,
  ].filter(Boolean);
  return translate(lang, 'peerGroup', { group: parts.join(' · '), n: rank.of });
}
