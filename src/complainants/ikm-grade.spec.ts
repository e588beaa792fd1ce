import { ikmGrade } from './ikm.service';

describe('the grade of a converted IKM (PermenPANRB 14/2017)', () => {
  it.each([
    [100, 'A', 'Sangat Baik'],
    [88.31, 'A', 'Sangat Baik'],
    [88.3, 'B', 'Baik'],
    [76.61, 'B', 'Baik'],
    [76.6, 'C', 'Kurang Baik'],
    [65, 'C', 'Kurang Baik'],
    [64.99, 'D', 'Tidak Baik'],
    [25, 'D', 'Tidak Baik'],
  ])('%d is %s (%s)', (value, grade, kinerja) => {
    expect(ikmGrade(value)).toEqual({ grade, kinerja });
  });
});
